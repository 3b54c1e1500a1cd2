"""Small helpers shared by every app; imports no app."""
