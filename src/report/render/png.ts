/**
 * SVG -> PNG through resvg, with the DejaVu Sans files shipped in the `dejavu-fonts-ttf` package and no
 * system fonts: the same SVG gives the same PNG bytes on every machine (resvg draws no text at all when it
 * finds no font, so the font files are required, not optional).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
/** Pixels per SVG unit: 2 gives sharp text on high-density screens and in slides. */
export const PNG_SCALE = 2;

let fontPaths: string[] | undefined;

/** Absolute paths of the font files, from the installed `dejavu-fonts-ttf` package. */
export function fontFiles(): string[] {
  if (fontPaths) return fontPaths;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const paths = FONT_FILES.map((f) => join(dir, f));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`font files missing from dejavu-fonts-ttf: ${missing.join(', ')}`);
  fontPaths = paths;
  return paths;
}

/**
 * Renders a standalone SVG document (it must carry `xmlns="http://www.w3.org/2000/svg"`) to PNG bytes
 * on a white background.
 */
export function svgToPng(svg: string, scale = PNG_SCALE): Buffer {
  return rasterize(svg, scale).asPng();
}

/** The rendered image (PNG encoder, raw RGBA pixels, size): for tests that look at what was drawn. */
export function rasterize(svg: string, scale = PNG_SCALE): ReturnType<Resvg['render']> {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      serifFamily: 'DejaVu Sans',
      monospaceFamily: 'DejaVu Sans',
    },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    logLevel: 'off',
  });
  return resvg.render();
}
