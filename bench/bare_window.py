"""The start-up baseline: ``python -m bench.bare_window`` shows a bare PySide6 QMainWindow and
prints "ready" from the first turn of the event loop. It imports nothing else."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

if __name__ == "__main__":
    app = QApplication([])
    window = QMainWindow()
    window.setWindowTitle("Briefing")
    window.resize(1200, 800)
    window.show()
    QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
    app.exec()
