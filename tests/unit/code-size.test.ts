/**
 * The size rules a newcomer relies on to find their way: no file in
 * app/models over 500 lines, and no function in app/models or app/domain
 * over 100 lines (from the line its declaration starts on to the line it
 * ends on, nested functions counted within their parent).
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort()
}

export type FunctionSize = { file: string; name: string; lines: number }

function functionSizes(file: string): FunctionSize[] {
  const text = readFileSync(path.join(root, file), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const sizes: FunctionSize[] = []
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const parent = node.parent
      const name =
        (node.name && ts.isIdentifier(node.name) && node.name.text) ||
        (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && parent.name.text) ||
        `(anonymous at line ${lineOf(node.getStart(source)) + 1})`
      sizes.push({ file, name, lines: lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1 })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return sizes
}

describe('code size', () => {
  it('no file in app/models is over 500 lines', () => {
    const long = sourceFiles('app/models')
      .map((file) => ({ file, lines: readFileSync(path.join(root, file), 'utf8').split('\n').length }))
      .filter((f) => f.lines > 500)
    expect(long).toEqual([])
  })

  it('no function in app/models or app/domain is over 100 lines', () => {
    const files = [...sourceFiles('app/models'), ...sourceFiles('app/domain')]
    expect(files.length).toBeGreaterThan(40)
    const long = files.flatMap(functionSizes).filter((f) => f.lines > 100)
    expect(long).toEqual([])
  })
})
