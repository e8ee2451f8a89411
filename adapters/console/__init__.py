"""The local console workspace: peerbot in a terminal, with a clock you can fast-forward."""
