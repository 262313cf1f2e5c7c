// Ownership of cairo and pango objects in std::unique_ptr, and a cairo write function that
// collects a PDF or PNG stream in a std::string; shared by the label sheets, the symbol renderer
// and the report's PDF writer.
//
// Example:
//   std::string pdf;
//   std::unique_ptr<cairo_surface_t, CairoDeleter> surface(
//       cairo_pdf_surface_create_for_stream(&AppendToString, &pdf, width_pt, height_pt));
#pragma once

#include <string>

#include <cairo.h>
#include <pango/pangocairo.h>

namespace vntrace::label::render {

struct CairoDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectDeleter {
  void operator()(void* o) const { g_object_unref(o); }
};
struct FontDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
struct AttrListDeleter {
  void operator()(PangoAttrList* l) const { pango_attr_list_unref(l); }
};
struct IterDeleter {
  void operator()(PangoLayoutIter* i) const { pango_layout_iter_free(i); }
};

// A cairo_write_func_t appending to the std::string `closure` points to.
inline cairo_status_t AppendToString(void* closure, const unsigned char* data,
                                     unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace vntrace::label::render
