"""The active-learning loop every kind shares: features, strategies, start methods, learner."""
