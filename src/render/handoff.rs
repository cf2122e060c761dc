//! Human text of the `handoff` outcomes (being moved here from commands/).
