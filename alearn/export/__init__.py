"""alearn export / predict / explain: training data, model files, cards and rules."""
