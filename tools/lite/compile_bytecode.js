// Compile the bytecode of the site's pure wheels with Pyodide's own Python (3.12), in Node.
//
// Usage: node compile_bytecode.js PYODIDE_DIR TREE
// PYODIDE_DIR holds the verified Pyodide files (.cache/lite/pyodide); TREE holds the unpacked
// wheels. Every .py under TREE gets its __pycache__/*.cpython-312.pyc beside it, "unchecked hash"
// pycs, which Python uses without comparing them with the source's modification time (the
// browser's install sets new times). Without them every reader's kernel compiles altair,
// lifelines, spinemets and the rest on each import, in WebAssembly, every time a chapter opens.
const path = require("path");

const [pyodideDir, tree] = process.argv.slice(2);
const { loadPyodide } = require(path.resolve(pyodideDir, "pyodide.js"));

(async () => {
  const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + path.sep });
  pyodide.FS.mkdirTree("/tree");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(tree) }, "/tree");
  const failed = pyodide.runPython(`
import pathlib, py_compile
failed = []
for source in sorted(pathlib.Path("/tree").rglob("*.py")):
    try:
        py_compile.compile(str(source), doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    except py_compile.PyCompileError as error:
        failed.append(f"{source}: {error.msg.strip().splitlines()[-1]}")
"\\n".join(failed)
`);
  // A file that does not compile (Python 2 leftovers in some wheels) also fails on import, so it
  // is reported, not fatal.
  if (failed) {
    console.log(`compile_bytecode: not compiled:\n${failed}`);
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
