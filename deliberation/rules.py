"""Who may do what with processes. Reading a process is public."""

import rules

is_staff = rules.is_staff

rules.add_perm("deliberation.view_process", rules.always_allow)
rules.add_perm("deliberation.add_process", is_staff)
rules.add_perm("deliberation.change_process", is_staff)
