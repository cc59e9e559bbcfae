"""Long-running processes: the clock (scheduler), its leader lock and the dispatch worker."""
