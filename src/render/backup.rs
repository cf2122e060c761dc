//! Human text of the `backup` outcomes (being moved here from commands/).
