//! Human text of the `pause` outcomes (being moved here from commands/).
