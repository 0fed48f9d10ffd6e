// A stylesheet imported by a route is copied into public/build/_assets under a
// name holding a hash of its content; the import gives its address.
declare module '*.css' {
  const href: string
  export default href
}
