"""Replication of Bhuyan & Leung (2021): corpus manifests, fetching, the paper's corpus rule and
the six findings set beside the computed evidence."""
