"""Chatbot support package for the "Alle hens aan dek" assistant (imports nothing from actions/)."""
