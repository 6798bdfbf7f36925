"""The assistant's evaluation: metrics over a question file, and a comparison of two knowledge versions."""
