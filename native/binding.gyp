# node-gyp build of the guest-device addon (native/README.md). C only, Node-API pinned at version 8.
{
  "targets": [
    {
      "target_name": "quorumkit_native",
      "sources": ["src/addon.c", "src/guest.c"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags_c": ["-std=c11", "-Wall", "-Wextra", "-Werror", "-O2"],
      "conditions": [
        ["OS!='linux'", { "type": "none", "sources!": ["src/addon.c", "src/guest.c"] }]
      ]
    }
  ]
}
