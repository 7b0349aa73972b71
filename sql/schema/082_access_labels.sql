-- Operator words of the audit trail's actions and the access log's events (core/labels.py holds the same).
INSERT INTO code_label VALUES
    ('audit_action', 'insert', 'добавление'),
    ('audit_action', 'update', 'изменение'),
    ('audit_action', 'delete', 'удаление'),
    ('audit_action', 'command', 'команда'),
    ('access_event', 'refused', 'отказ в правах'),
    ('access_event', 'pd_view', 'просмотр персональных данных'),
    ('access_event', 'export', 'выгрузка');
INSERT INTO code_column VALUES
    ('audit_log', 'action', 'audit_action'),
    ('access_log', 'event', 'access_event');
