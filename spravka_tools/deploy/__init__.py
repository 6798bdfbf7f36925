"""`spravka deploy`: the Google Cloud deployment as a list of commands, from one configuration."""
