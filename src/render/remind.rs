//! Human text of the `remind` outcomes (being moved here from commands/).
