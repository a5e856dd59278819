"""The reviewer console served under ``/ui/`` by ``screening serve``."""
