"""Speech engines behind one interface, the registry that builds them, and the runner that retries."""
