"""Reports: plotly/matplotlib figures and the HTML/Markdown renderings of analysis results.

Reports render result objects from :mod:`accord.analysis` and :mod:`accord.tactics`; they compute nothing
of their own beyond layout. Import the submodules directly (``accord.report.plots``,
``accord.report.analysis_html``, ``accord.report.analysis_md``): they load plotly, matplotlib and jinja2
lazily, so importing this package is cheap.
"""
