"""Topic package (registration arrives in the next commit)."""
