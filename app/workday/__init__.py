"""The technician app's back end (/v1/tech): a read model composed from the jobs, planning, pricing and
checklist domains, and the combined actions the phone's offline queue replays. It sits above the
domains: it imports them, and none imports it."""
