"""peakplan package."""
