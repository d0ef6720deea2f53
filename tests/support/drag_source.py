#!/usr/bin/python3
"""A small GTK window that offers files for drag and drop, as a file manager does (text/uri-list).

The end-to-end tests start it beside the app on the same X display and move the pointer with xdotool
from it onto the app's window, so the app receives a real XDND drop from another program.
Usage: drag_source.py X Y FILE... ; prints "ready" once the window is on screen.
"""
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import GLib, Gdk, Gtk  # noqa: E402

x, y = int(sys.argv[1]), int(sys.argv[2])
uris = [GLib.filename_to_uri(p, None) for p in sys.argv[3:]]

window = Gtk.Window(title="superdocs-e2e-drag-source")
window.set_default_size(120, 120)
window.move(x, y)
box = Gtk.EventBox()
box.add(Gtk.Label(label=f"{len(uris)} file(s)"))
box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
box.drag_source_add_uri_targets()
box.connect("drag-data-get", lambda _w, _ctx, data, _info, _time: data.set_uris(uris))
window.add(box)
window.connect("destroy", Gtk.main_quit)
window.show_all()


def announce():
    print("ready", flush=True)
    return False


GLib.timeout_add(200, announce)
Gtk.main()
