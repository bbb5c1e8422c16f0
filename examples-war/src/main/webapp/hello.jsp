<%@ page contentType="text/plain; charset=UTF-8" %>JSP says: 2 + 3 = ${2 + 3}; served by <%= application.getServerInfo() %>
