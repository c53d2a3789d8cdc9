"""Fakes of outside services (LINE) that tests run against over real sockets."""
