"""peakplan `forecast` stage: built in a later issue (see DESIGN.md)."""
