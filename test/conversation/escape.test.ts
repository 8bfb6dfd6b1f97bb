import { describe, expect, it } from 'vitest';
import { discord, html, slack, type Markup } from '../../src/conversation/escape.ts';

describe('escaping per surface', () => {
  it('html escapes the five special characters, in text and attributes', () => {
    expect(html.escape(`<img src=x onerror="alert('x')">&`).value).toBe('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;');
  });
  it('discord makes markdown literal and breaks mentions', () => {
    const out = discord.escape('**fed** @everyone <@123> `x`').value;
    expect(out).toBe('\\*\\*fed\\*\\* @\u200beveryone \\<@\u200b123\\> \\`x\\`');
    expect(out).not.toContain('@everyone');
  });
  it('slack escapes only &, < and >', () => {
    expect(slack.escape('<!channel> & *ok*').value).toBe('&lt;!channel&gt; &amp; *ok*');
  });
  it('measure equals the escaped length', () => {
    for (const e of [html, discord, slack]) {
      const s = `a&<>"'*_@😀æ`;
      expect(e.measure(s)).toBe(e.escape(s).value.length);
    }
  });
  it('templates escape what is interpolated and pass markup of the same surface through', () => {
    const name = '<b>Ali</b>';
    const strong: Markup<'html'> = html.tag`<strong>${name}</strong>`;
    expect(html.tag`<p>${strong} ${3}</p>`.value).toBe('<p><strong>&lt;b&gt;Ali&lt;/b&gt;</strong> 3</p>');
    expect(html.join([html.escape('<a>'), html.escape('&')], ', ').value).toBe('&lt;a&gt;, &amp;');
    // Markup of another surface is a type error; at run time it is refused too.
    expect(() => html.tag`${discord.escape('x') as unknown as Markup<'html'>}`).toThrow(TypeError);
  });
});
