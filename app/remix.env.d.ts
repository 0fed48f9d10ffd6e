/// <reference types="@remix-run/node" />

// Remix's single fetch (future.v3_singleFetch in remix.config.js) changes how
// loader and action data are typed; this tells the types.
declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export {}
