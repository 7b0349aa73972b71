"""sbyt: open-source billing for Russian electricity guaranteeing suppliers."""
