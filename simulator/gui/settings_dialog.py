"""Settings: where finished attempts are sent (a learning record store), written to the settings file.

The command line (``frontline sync``) reads the same ``[lrs]`` section, so what is set here works
there too; environment variables set by an IT department take precedence over both.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from .widgets import text_label

KEYS = ("endpoint", "username", "password", "home_page")


class LrsSettingsDialog(QDialog):
    """Edit the LRS endpoint and credentials; Save writes them, Cancel changes nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Learning record store")
        settings = QSettings()
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        labels = {
            "endpoint": "&Endpoint:",
            "username": "&User name:",
            "password": "&Password:",
            "home_page": "&Trainee accounts at:",
        }
        hints = {
            "endpoint": "https://lrs.example.org/xAPI",
            "username": "as given by whoever runs the LRS",
            "password": "",
            "home_page": "urn:frontline:trainees",
        }
        for key in KEYS:
            edit = QLineEdit(self)
            edit.setText(str(settings.value(f"lrs/{key}", "") or ""))
            edit.setPlaceholderText(hints[key])
            edit.setAccessibleName(labels[key].replace("&", "").rstrip(":"))
            if key == "password":
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(labels[key], edit)
            self.fields[key] = edit
        intro = text_label(
            "Finished attempts are sent here in the background after each debrief (frontline sync sends them "
            "from the command line). Leave the endpoint empty to keep every attempt on this computer only."
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        settings = QSettings()
        for key, edit in self.fields.items():
            value = edit.text().strip()
            if value:
                settings.setValue(f"lrs/{key}", value)
            else:
                settings.remove(f"lrs/{key}")
        settings.sync()
        self.accept()
