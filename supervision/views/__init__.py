"""HTML pages of key-period supervision under /supervision/: check-ins (checkins), patrols
(patrols), the roster and its Excel import (roster), and the bureau's counts (bureau)."""
