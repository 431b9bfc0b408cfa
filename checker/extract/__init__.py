"""Extract stage: facts read from the normalized view (quantities, …) for the checks."""
