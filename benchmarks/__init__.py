"""Speed, memory and accuracy benchmarks; each writes a JSON result (`make bench`)."""
