import (
{%- for group in groups %}
{%- if !loop.first %}
{% endif %}
{%- for spec in group %}
	{{ spec }}
{%- endfor %}
{%- endfor %}
)
