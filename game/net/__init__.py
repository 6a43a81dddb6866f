"""The networked mode: ``powerplay host`` serves one game to teams in separate rooms."""
