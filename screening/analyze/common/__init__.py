"""Stage 3 (analyze): helpers several fact families share; none of them is an analyzer.

``namematch`` compares names, ``lookalike`` spots domains dressed as another's, ``shingles``
finds near-duplicate text, ``zones`` gives a location's UTC offsets, and ``lookupcache`` keeps
network answers (DNS, phone line types) for a while.
"""
