import { describe, expect, it } from 'vitest'
import { acceptableRequestId, loggableUrl } from '~/utils/log-redaction'

describe('what a log line says about a request (decision 0032)', () => {
  it('keeps the path and ordinary query values', () => {
    expect(loggableUrl('/finance/invoices?status=open&page=2')).toBe('/finance/invoices?status=open&page=2')
  })

  it('hides the value of anything that could be a secret', () => {
    expect(loggableUrl('/reset-password?token=abc123')).toBe('/reset-password?token=%5Bhidden%5D')
    expect(loggableUrl('/set-password?token=t&x=1')).toBe('/set-password?token=%5Bhidden%5D&x=1')
    expect(loggableUrl('/x?api_key=k&password=p&code=c')).not.toMatch(/=k|=p|=c(&|$)/)
  })

  it('takes a proxy’s request id only when it is a plain short id', () => {
    expect(acceptableRequestId('req-1234abcd')).toBe('req-1234abcd')
    expect(acceptableRequestId('a b c d e f g h')).toBeNull()
    expect(acceptableRequestId('short')).toBeNull()
    expect(acceptableRequestId(['a', 'b'])).toBeNull()
    expect(acceptableRequestId(undefined)).toBeNull()
  })
})
