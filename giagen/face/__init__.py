"""What a person talks to: the command line, its Chinese words, the console, the wizard."""
