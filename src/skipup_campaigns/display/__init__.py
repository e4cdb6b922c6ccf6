"""How API data and errors are put in front of people, shared by the terminal UI and the
scripting commands: server text made inert, dates in words, errors in one line. No Textual."""
