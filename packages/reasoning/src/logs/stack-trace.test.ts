import { describe, expect, it } from 'vitest';
import { mineTemplates } from './analyze.js';
import { tokenize } from './mask.js';

const groups = (lines: string[]) => mineTemplates(lines).templates.map((t) => [t.template, t.lines]);

describe('stack traces, one line each', () => {
  it('reads a frame as `at` and one variable, whatever the language, the location and the jar after it', () => {
    for (const frame of [
      'at com.acme.orders.OrderService.place(OrderService.java:142)',
      '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897) ~[spring-webmvc-5.3.20.jar:5.3.20]',
      'at sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method) ~[na:1.8.0_292]',
      'at com.sun.proxy.$Proxy87.findById(Unknown Source)',
      'at java.base/java.lang.Thread.run(Thread.java:833) [na:na]',
      'at com.acme.Foo$$EnhancerBySpringCGLIB$$5f3a2b1c.place(<generated>)',
      '    at Object.<anonymous> (/app/src/index.js:10:5)',
      'at async Promise.all (index 0)',
      'at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      'at Acme.Orders.OrderService.Place() in /src/Orders/OrderService.cs:line 42',
      'web-1  |     at com.acme.orders.OrderService.place(OrderService.java:142)',
    ])
      expect(tokenize(frame).slice(-2)).toEqual(['at', '<*>']);
  });

  it('leaves lines that merely start with `at` alone', () => {
    expect(tokenize('at least 3 replicas are required (got 2)')).toEqual(['at', 'least', '<*>', 'replicas', 'are', 'required', '(got', '<*>)']);
    expect(tokenize('at 10:00 the job started')).toEqual(['at', '<*>:<*>', 'the', 'job', 'started']);
  });

  it('groups frames as one template, `... N more` as one, `Caused by:` by its message, and keeps them apart from other lines', () => {
    expect(
      groups([
        'java.lang.IllegalStateException: order 42 not found',
        '\tat com.acme.orders.OrderService.place(OrderService.java:142)',
        '\tat com.acme.orders.OrderController.create(OrderController.java:57) ~[classes/:na]',
        '\tat sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method) ~[na:1.8.0_292]',
        '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897) ~[spring-webmvc-5.3.20.jar:5.3.20]',
        '\t... 42 more',
        'Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
        '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)',
        '\t... 87 more',
        'Caused by: java.net.ConnectException: Connection refused',
        'Caused by: java.sql.SQLTransientConnectionException: HikariPool-2 - Connection is not available, request timed out after 5000ms.',
        'Caused by: java.net.SocketTimeoutException: Read timed out',
        'Caused by: java.net.ConnectException: Connection refused',
        'at least 3 replicas are required',
        'Started OrderApplication in 3.2 seconds (JVM running for 3.9)',
      ]),
    ).toEqual([
      ['at <*>', [2, 3, 4, 5, 8]],
      ['... <*> more', [6, 9]],
      ['Caused by: java.sql.SQLTransientConnectionException: HikariPool-<*> - Connection is not available, request timed out after <*>.', [7, 11]],
      ['Caused by: java.net.ConnectException: Connection refused', [10, 13]],
      ['java.lang.IllegalStateException: order <*> not found', [1]],
      ['Caused by: java.net.SocketTimeoutException: Read timed out', [12]],
      ['at least <*> replicas are required', [14]],
      ['Started OrderApplication in <*> seconds (JVM running for <*>)', [15]],
    ]);
  });

  it('reads a Spring Boot header (`INFO 1 --- [thread] logger : `) as a header, so the logger does not make messages alike', () => {
    expect(
      groups([
        '2024-05-01 10:00:01.123  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Connector started',
        '2024-05-01 10:00:00.123  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Connector paused',
        '2024-05-02 09:00:01.123  INFO 7 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Connector started',
        '2024-05-01 10:00:02.123 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet threw exception',
        '2024-05-01 10:00:03.123 ERROR 1 --- [nio-8080-exec-2] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet threw exception',
      ]),
    ).toEqual([
      ['<*> INFO <*> --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer : Connector started', [1, 3]],
      ['<*> ERROR <*> --- [nio-<*>-exec-<*>] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() for servlet threw exception', [4, 5]],
      ['<*> INFO <*> --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer : Connector paused', [2]],
    ]);
  });
});
