"""peakplan `dashboard` stage: built in a later issue (see DESIGN.md)."""
