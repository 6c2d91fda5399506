// Swagger UI from casegraph's own copy (casegraph/web/vendor, from npm): /docs needs no network.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
