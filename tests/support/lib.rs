//! Support for the integration tests: a moto server launcher and a canned-response HTTP server.
