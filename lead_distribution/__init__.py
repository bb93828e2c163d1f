from . import controllers, models, report
