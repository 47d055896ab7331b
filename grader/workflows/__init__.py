"""What instructors, students and CI do with the kit, one module per job.

``release`` builds the student kit (hidden checks removed by ``strip``), ``pack``
packs a student's work for upload, ``batch`` grades a folder of submissions
(zips opened by ``unzip``), ``bundle`` builds a Gradescope autograder and
``autograder`` is what that bundle runs.  ``kit`` holds what every built kit
shares.  Each job is a plain function with keyword-only arguments; the
commands in :mod:`grader.commands` only parse options and call them.
"""
