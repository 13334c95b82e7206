"""The HTML pages of the hazards app, one module per group of screens:

- ``ledger``: the hazard ledger (list, detail, report form);
- ``workflow``: the actions on one hazard (transitions, mark duplicate, 挂牌督办);
- ``snapshot``: 随手拍 with an account, similar hazards, QR-code posters;
- ``public``: the public 随手拍 form and tracking page (no login, under /s/);
- ``remediation``: remediation projects (整改项目);
- ``photos``: the photos, from the private storage, to those who may see the hazard.
"""
