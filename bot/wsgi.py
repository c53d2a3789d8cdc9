"""What gunicorn serves (`gunicorn 'bot.wsgi:app'`): the app from the environment, answering its own events.

Each gunicorn worker imports this module after the fork, so each starts its own dispatcher thread (none
with PLANBOT_EVENT_WORKER=separate, where `planbot events` answers). Do not run it with `--preload`: a
thread started in the master does not survive the fork.
"""

import gc

from bot.app import create_app, start_answering

app = create_app()
start_answering(app)
# The imports leave hundreds of thousands of objects that every full collection would scan with every
# request thread stopped (webhook stalls of up to a second under load). They live as long as the
# process, so they are moved out of the collector's sight.
gc.freeze()
