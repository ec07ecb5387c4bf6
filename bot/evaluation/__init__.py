"""Staff tools: ask the running bot one question, or evaluate a whole question set."""
