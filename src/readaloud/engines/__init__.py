"""Speech engines behind one interface (base), the registry table that states each engine's policy and
builds it (registry), the process-wide rate cap (throttle), and the runner that retries."""
